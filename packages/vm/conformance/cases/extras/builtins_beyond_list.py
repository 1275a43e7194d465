print(hex(255), oct(8), bin(10), hex(-(2 ** 70)), bin(0))
print(callable(len), callable(5), callable(lambda: 0))
print(format(3.14159, ".2f"), format(42, "08b"), format("x", "^5"), ascii("é😀"))
print(getattr("abc", "upper")(), hasattr([], "append"), hasattr(1, "nope"), getattr(1, "nope", "default"))
