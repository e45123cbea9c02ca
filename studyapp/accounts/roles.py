"""Roles: every user is a learner; instructors are members of the "instructor" group."""

INSTRUCTOR_GROUP = "instructor"


def is_instructor(user) -> bool:
    return user.is_authenticated and (
        user.is_superuser or user.groups.filter(name=INSTRUCTOR_GROUP).exists()
    )
