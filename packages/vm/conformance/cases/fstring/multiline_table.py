rows = [("apple", 1.5, 3), ("kiwi", 0.25, 12), ("melon", 3.0, 1)]
print(f"{'item':<8}{'price':>8}{'qty':>5}")
for name, price, qty in rows:
    print(f"{name:<8}{price:>8.2f}{qty:>5d}")
