s = "ab"
print(f"[{s:>6}]")
print(f"[{s:<6}]")
print(f"[{s:^6}]")
print(f"[{s:*^7}]")
print(f"[{42:>6}]")
print(f"[{42:<6}]")
print(f"[{42:-^8}]")
