print("adding")
print(1 + "2")
