s = "héllo wörld"
print(s[1:4], s[-5:], s[::3], s[::-2])
