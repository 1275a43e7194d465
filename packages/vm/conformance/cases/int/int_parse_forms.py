print(int("-0"), int("0x10", 16), int("0b101", 0), int("0o17", 0), int("10", 0), int(" 7\n"))
for bad in ["", " ", "1 2", "0x10", "1.0", "--1"]:
    try:
        int(bad)
    except ValueError as e:
        print(e)
