data = {"name": "Ann", "age": 30}
print("%(name)s is %(age)d" % data)
