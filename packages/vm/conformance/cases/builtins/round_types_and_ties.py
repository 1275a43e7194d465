print(round(0.5), round(-0.5), round(1.5), round(2.5), round(-1.5))
print(round(5, -1), round(15, -1), round(-25, -1), round(1.25, 1), round(1.35, 1))
print(round(True), type(round(True)), round(3))
