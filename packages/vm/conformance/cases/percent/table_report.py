rows = [("widget", 3, 2.5), ("gadget", 12, 10.0), ("doohickey", 1, 199.99)]
print("%-10s %5s %10s" % ("item", "qty", "total"))
for name, qty, price in rows:
    print("%-10s %5d %10.2f" % (name, qty, qty * price))
print("%-10s %5d %10.2f" % ("sum", sum(r[1] for r in rows), sum(r[1] * r[2] for r in rows)))
