from django.test import Client
from django.urls import reverse


def sign_in(client, password):
    return client.post(reverse("desk:login"), {"username": "clerk-stats", "password": password})


def test_staff_sign_in_and_land_on_their_inbox(clerk):
    response = sign_in(Client(), "a-long-test-password")
    assert response.status_code == 302
    assert response["Location"] == reverse("desk:inbox")


def test_a_wrong_password_gets_a_message_that_does_not_say_which_half_was_wrong(clerk):
    response = sign_in(Client(), "wrong")
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()


def test_repeated_wrong_passwords_lock_the_account_for_that_address(clerk, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(3):
        sign_in(client, "wrong")
    locked = sign_in(client, "a-long-test-password")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Someone else, from another address, is not locked out by the attack.
    assert sign_in(Client(REMOTE_ADDR="10.2.2.2"), "a-long-test-password").status_code == 302
