counter = 0
def inc():
    global counter
    counter += 1

for _ in range(5):
    inc()
print(counter)
def make_global():
    global created
    created = "yes"
make_global()
print(created)
