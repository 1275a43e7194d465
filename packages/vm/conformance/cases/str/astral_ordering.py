a = "\uffff"
b = "😀"
print(a < b, sorted([b, a, "z"]) == ["z", a, b], max(a, b) == b, min([b, a]) == a)
