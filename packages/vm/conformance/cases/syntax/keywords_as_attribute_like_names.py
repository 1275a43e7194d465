print_ = print
list_ = [1]
sum_ = 5
print_(list_, sum_)
True_ = False
print(True_)
