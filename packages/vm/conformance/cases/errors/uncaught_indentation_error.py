print("never")
if True:
print("bad indent")
