def squares(n):
    for i in range(n):
        yield i * i

print(list(zip(squares(4), "abcd")), list(enumerate(squares(3))), sorted(squares(4), reverse=True))
print(sum(squares(10)), max(squares(5)), any(x > 10 for x in squares(5)), dict(zip("ab", squares(2))))
print(list(map(str, squares(3))), list(filter(None, squares(3))), "-".join(str(x) for x in squares(4)))
g = squares(2)
print(list(g), list(g), next(g, "empty"))
