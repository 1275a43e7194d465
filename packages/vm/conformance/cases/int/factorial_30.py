def factorial(n):
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result

print(factorial(30))
print(factorial(20))
print(factorial(25) // factorial(23))
