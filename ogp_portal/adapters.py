from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.http import Http404


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Kakao and Naver are installed but work only once staff add their keys in the admin."""

    def get_app(self, request, provider, client_id=None):
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            # Not set up yet: the sign-in page offers no button, and its address is not found.
            raise Http404 from None
