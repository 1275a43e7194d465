d = {"b": 2, "a": 1, "c": 3}
print(list(reversed(d)), sorted(d), sorted(d.items(), key=lambda kv: kv[1], reverse=True))
print(list(reversed(list(d.values()))))
