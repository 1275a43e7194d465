inf = float("inf")
big = 10 ** 400
print(big < inf, big > 1e308, big == inf, -big > -inf, big > float("nan"), big < float("nan"))
print(2 ** 1024 > 1.7976931348623157e308, 2 ** 53 + 1 > 2.0 ** 53, 2 ** 53 + 1 < 2.0 ** 53 + 2)
print(max(big, inf) == inf, sorted([inf, big, -big, 0.5]) == [-big, 0.5, big, inf])
