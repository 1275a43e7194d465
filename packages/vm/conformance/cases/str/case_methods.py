s = "Hello World"
print(s.upper(), s.lower(), s.swapcase())
print("hello world".title(), "hello world".capitalize())
print("abc".isalpha(), "123".isdigit(), "a1".isalnum(), "   ".isspace(), "AB".isupper(), "ab".islower())
