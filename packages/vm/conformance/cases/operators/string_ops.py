print("ab" + "cd", "ab" * 3, "x" in "xyz", "%s!" % "hi")
