"""Module docstring is just an expression."""
# a comment line

def f():
    """Function docstring."""
    # comment inside
    return "ok"  # trailing

print(f())  # done
