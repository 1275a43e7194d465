def f():
    return "f"

def g():
    return "g"

handlers = {f: "first", g: "second"}
print(handlers[f], handlers[g], f == f, f is f, f != g, f in {g, f}, len({f, f, g}))
alias = f
print(alias is f, alias(), handlers[alias])
