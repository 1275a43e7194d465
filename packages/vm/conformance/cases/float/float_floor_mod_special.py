print(7.0 // 0.5, -7.0 // 2, 7.5 % -2, -0.0 % 5)
print(1e308 * 10, -1e308 * 10)
inf = float("inf")
print(5 % inf, -5 % inf, 5 // inf)
