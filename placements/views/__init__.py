"""HTTP of the placements app: public board, employers, job seekers.

Parse -> scope (selectors take the requester) -> call a service -> translate its
DomainError -> redirect (Post/Redirect/Get).
"""
