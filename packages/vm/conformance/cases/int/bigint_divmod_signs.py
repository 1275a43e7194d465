for a in (10 ** 25 + 7, -(10 ** 25 + 7)):
    for b in (3 ** 20, -(3 ** 20)):
        print(divmod(a, b), a // b * b + a % b == a)
