results = []
for i in range(3):
    if i == 1:
        def abs(x):
            return "shadowed"
    results.append(abs(-5))
print(results)
del abs
print(abs(-5))
