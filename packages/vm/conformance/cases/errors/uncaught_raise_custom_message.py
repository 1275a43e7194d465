def validate(age):
    if age < 0:
        raise ValueError(f"age must be >= 0, got {age}")
    return age

print(validate(5))
validate(-1)
