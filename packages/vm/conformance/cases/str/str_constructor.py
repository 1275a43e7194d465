print(str(), str(12), str(1.5), str(True), str(None), str([1, "a"]), str((1,)))
print(str({"a": [1, 2]}))
print(str(b"hi"))
