print("prefix_body".removeprefix("prefix_"), "file.py".removesuffix(".py"), "x".removeprefix("y"))
print("Straße".casefold(), "abcabc".rindex("b"), "a\tb".expandtabs(4), "Title Case".istitle())
print("abc".isidentifier(), "1abc".isidentifier(), "½".isnumeric(), "12".isdecimal())
print("x".ljust(3, "-"), "x".rjust(3, "-"), "-".join("abc").upper().lower())
