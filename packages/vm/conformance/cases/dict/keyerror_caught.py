d = {"a": 1}
try:
    d["missing"]
except KeyError as e:
    print("KeyError", e)
try:
    d.pop("nope")
except KeyError as e:
    print("KeyError", e)
