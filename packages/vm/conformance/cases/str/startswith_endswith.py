s = "conformance.py"
print(s.startswith("con"), s.startswith("py"), s.endswith(".py"), s.endswith((".js", ".py")))
print(s.startswith(("x", "c")))
