print("x")
break
