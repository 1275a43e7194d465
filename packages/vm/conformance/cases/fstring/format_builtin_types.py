print(f"{True} {None} {[1, 'a']} {(1,)} {b'x'}")
print(f"{True:d} {5:.2f} {7.0:.0f}")
