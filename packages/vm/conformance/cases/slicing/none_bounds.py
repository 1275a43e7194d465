a = list(range(6))
print(a[None:2], a[3:None], a[::None], "hello"[None:None:-1])
