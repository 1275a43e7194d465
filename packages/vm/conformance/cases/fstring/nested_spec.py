width = 8
prec = 3
v = 2.718281828
print(f"[{v:{width}.{prec}f}]")
print(f"[{'x':>{width}}]")
