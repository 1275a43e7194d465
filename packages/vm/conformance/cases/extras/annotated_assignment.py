count: int = 5
name: str
ratio: float = count / 2
def f(x: int, y: "str" = "s") -> list:
    z: int = x + 1
    return [z, y]
print(count, ratio, f(1))
try:
    print(name)
except NameError as e:
    print(e)
