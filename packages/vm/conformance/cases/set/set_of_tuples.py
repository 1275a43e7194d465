pts = {(0, 0), (1, 2), (0, 0), (1, 2), (3, 4)}
print(sorted(pts), len(pts))
print((1, 2) in pts)
