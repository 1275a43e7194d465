s = {1}
try:
    s.remove(2)
except KeyError as e:
    print("KeyError", e)
s.pop()
print(s, len(s))
