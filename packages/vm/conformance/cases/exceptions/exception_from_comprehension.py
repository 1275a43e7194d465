def risky(x):
    return 10 // x

try:
    print([risky(x) for x in [5, 2, 0, 1]])
except ZeroDivisionError as e:
    print("comprehension raised:", e)
try:
    print(sum(risky(x) for x in [1, 0]))
except ZeroDivisionError as e:
    print("generator raised:", e)
