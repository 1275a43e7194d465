x = "global"
def outer():
    x = "enclosing"
    def inner():
        global x
        return x
    def inner2():
        return x
    return inner(), inner2()

print(outer())
