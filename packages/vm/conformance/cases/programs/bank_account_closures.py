def account(balance):
    def deposit(x):
        nonlocal balance
        if x <= 0:
            raise ValueError("deposit must be positive")
        balance += x
        return balance
    def withdraw(x):
        nonlocal balance
        if x > balance:
            raise ValueError(f"insufficient funds: {balance} < {x}")
        balance -= x
        return balance
    return deposit, withdraw

dep, wd = account(100)
print(dep(50), wd(30))
for op, amt in [(wd, 500), (dep, -1), (wd, 20)]:
    try:
        print(op(amt))
    except ValueError as e:
        print("error:", e)
