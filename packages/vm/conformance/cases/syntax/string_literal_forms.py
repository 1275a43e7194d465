print("adjacent " "literals " 'concatenate')
print("""triple
quoted""")
print('''single 'triple' "quotes"''')
print(r"\d+\.\d*", b"bytes", rb"\x00", br"raw")
print("# not a comment")
s = ("implicit"
     " join")
print(s)
