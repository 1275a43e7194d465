stack = []
for i in range(4):
    stack.append(i)
while stack:
    print(stack.pop(), end=" ")
print()
queue = [1, 2, 3]
while queue:
    x = queue.pop(0)
    if x < 3:
        queue.append(x + 10)
    print(x, end=" ")
print()
