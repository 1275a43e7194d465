z = -0.0
print(z, 0.0 == -0.0, abs(z))
print(-1 * 0.0)
print(round(-0.4))
