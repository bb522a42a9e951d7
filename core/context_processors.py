from django.conf import settings


def site(request):
    """Expose what every page's frame needs."""
    return {"SITE_URL": settings.SITE_URL}
