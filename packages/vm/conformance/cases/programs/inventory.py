inventory = {"apples": 3, "pears": 0}
orders = [("apples", 2), ("pears", 1), ("kiwis", 1), ("apples", 2)]
for item, qty in orders:
    try:
        have = inventory[item]
        if have < qty:
            raise ValueError(f"only {have} {item} left")
        inventory[item] = have - qty
        print("sold", qty, item)
    except KeyError as e:
        print("unknown item", e)
    except ValueError as e:
        print("cannot sell:", e)
print(inventory)
