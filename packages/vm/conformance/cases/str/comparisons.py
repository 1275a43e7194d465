print("apple" < "banana", "apple" < "Apple", "a" < "ab", "" < "a")
print("abc" == "abc", "abc" != "abd", "b" > "abc")
print(sorted(["pear", "Apple", "banana", "apple"]))
print(max("hello"), min("hello"))
