def greet():
    return "v1"

print(greet())
def greet():
    return "v2"
print(greet())
for version in (1, 2):
    if version == 1:
        def impl():
            return "one"
    else:
        def impl():
            return "two"
    print(impl())
def outer():
    print(__name__)
outer()
