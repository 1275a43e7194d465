print(list(range(20)[3:9:2]), b"abcdef"[1:4], b"abcdef"[::-1])
