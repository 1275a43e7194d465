data = {"users": [{"name": "ann", "age": 31}, {"name": "bob", "age": 25}]}
for u in data["users"]:
    print(u["name"], u["age"])
data["users"][1]["age"] += 1
print(data)
