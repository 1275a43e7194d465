total = 1 + \
    2 + \
    3
values = [
    1,
    2,  # trailing comment
    3,
]
d = {
    "a": 1,
    "b": (2,
          3),
}
print(total, values, d)
if (total > 5 and
        len(values) == 3):
    print("continued condition")
