def outer():
    x = 0
    def middle():
        def inner():
            nonlocal x
            x += 10
            return x
        return inner() + inner()
    return middle(), x

print(outer())
