print([i / 7 for i in range(1, 22)])
# repeated multiplication, not **: IEEE products are exact everywhere, libm pow() is not
x = 1.0
powers = []
for i in range(40):
    if i % 3 == 0:
        powers.append(x)
    x *= 1.1
print(powers)
print([10.0 ** -i for i in range(1, 25, 2)])
print([2.0 ** i for i in range(50, 72, 3)])
print([i * 0.1 for i in range(12)])
print([1 / 3 * 10 ** i for i in range(-8, 24, 4)])
