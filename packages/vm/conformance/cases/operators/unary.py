x = 7
print(-x, +x, ~x, --x, -(-x), not x)
y = 2.5
print(-y, +y)
