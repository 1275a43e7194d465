def compose(*fs):
    def run(x):
        for f in reversed(fs):
            x = f(x)
        return x
    return run

inc = lambda x: x + 1
print(compose(inc, lambda x: x * 2)(5), compose()(5), compose(str, inc)(1))
